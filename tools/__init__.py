"""Measuring and test tools (benchmark, load test, browser, app server): not part of the app."""
