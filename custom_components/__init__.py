"""Custom integrations (lets tests import custom_components.darkstar)."""
