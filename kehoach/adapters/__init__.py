"""Adapters: geodata, plan parsing, map building, documents, storage helpers."""
