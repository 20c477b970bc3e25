"""Lawful requests: tamper-evident export bundles, their signature and their verification."""
