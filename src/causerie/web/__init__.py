"""The browser client: static HTML, CSS and JavaScript modules, served as they are."""
