"""Token pages: the inventory (list, filters, timeline, revoke) and the token wizard."""
