"""HTTP: the web app's files, the REST API, health and metrics, and the WebSocket route."""
