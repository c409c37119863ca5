"""Sipoa: residents report suspicious activity of foreign nationals; officers act on it."""

__version__ = "0.1.0"
