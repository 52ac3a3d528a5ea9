"""The three roles of chatadmin (see ../shared/DESIGN.md, "Who uses it")."""

from django.db import models


class Role(models.TextChoices):
    ADMIN = "admin", "Admin"
    USER = "user", "User"
    SUPPORT = "support", "Support"


# Chat agent roles that make a person an admin in chatadmin (chat-api.md section 6).
CHAT_ADMIN_ROLES = frozenset({"owner", "administrator"})
