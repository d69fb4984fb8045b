"""Root pytest configuration: keep doctest collection away from entry points."""

collect_ignore = ["kg/__main__.py", "app.py", "app_pages", "bench"]
