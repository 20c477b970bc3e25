"""Lawful requests: tamper-evident export bundles, their signature and their verification,
and the notification packet for the police (DSA art. 18)."""
