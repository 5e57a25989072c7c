"""IPEX, the IP Enforcement eXchange."""

__version__ = "0.1.0"
