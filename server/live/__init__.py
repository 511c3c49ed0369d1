"""Live delivery: the broker (doorbell between processes), the hub (per-process
fan-out to websocket clients) and the websocket endpoints on one base
(server/live/endpoint.py)."""
