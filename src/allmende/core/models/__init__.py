"""Core tables: users, organisations with roles, the audit log and API tokens."""

from .audit import AuditEntry
from .organisation import Membership, Organisation
from .token import ApiToken
from .user import User

__all__ = ["ApiToken", "AuditEntry", "Membership", "Organisation", "User"]
