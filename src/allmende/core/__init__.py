"""Core: accounts, organisations and roles, the audit log, API tokens and the base UI.

``core`` depends on no domain app; domains depend on ``core``.
"""
