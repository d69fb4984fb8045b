"""Root pytest configuration: shared fixtures for tests and doctests, collection limits."""

pytest_plugins = ["tests.plugin"]

collect_ignore = ["kg/__main__.py", "app.py", "app_pages", "bench"]
