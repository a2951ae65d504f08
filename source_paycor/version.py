"""The connector's version: one place, read by setup.py, the User-Agent and metadata tests."""

__version__ = "0.3.0"
USER_AGENT = f"source-paycor/{__version__}"
