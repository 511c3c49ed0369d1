"""HTTP routes, one module per area. A route module imports no other route module:
shared helpers live in server/http.py, server/errors.py and server/access.py."""
