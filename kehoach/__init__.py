"""Decoration-site map of Thanh Xuân district: the domain package ("kehoach" = the plan)."""

__version__ = "0.1.0"
