"""Shim for tools that still call ``setup.py``; see ``setup.cfg``."""

from setuptools import setup

setup()
