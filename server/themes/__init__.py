"""Theme analysis for service developers: the service that keeps snapshots, the
worker run in a process pool (off the event loop) and the charts of the report."""
