"""Command-line front ends of the core (argument parsing and printing only)."""
