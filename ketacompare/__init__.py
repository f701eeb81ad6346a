"""ketacompare: compare ketamine treatment routes and therapies side by side."""

__version__ = "0.1.0"
