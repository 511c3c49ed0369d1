"""HTTP routes, one module per area. A route module imports no other route module:
shared helpers live in server/http.py, server/errors.py and server/access.py."""

# Route paths use the bounded {name:id} convertor; registering it before any
# route module builds its paths.
import server.parsing  # noqa: F401
