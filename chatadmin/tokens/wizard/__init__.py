"""The token wizard: mint a token for one of your clients and see it once.

- testing (implicit grant): Chat sends the token to the landing page in the URL fragment,
  which never reaches a server; a script there checks `state` and shows it once.
- production (authorization code with state): Chat sends a code to the same landing page,
  which exchanges it right away with the client secret the person typed into the wizard.

Every start, every answer and every redirect-URL change is audited; no token, code or secret
goes into the audit log, a log, the session or the database.
"""

from chatadmin.tokens.wizard.common import WizardProblem, redirect_registered, wizard_redirect_uri
from chatadmin.tokens.wizard.finish import MintedToken, token_wizard_finish, token_wizard_landing
from chatadmin.tokens.wizard.start import (
    WizardStart,
    token_wizard_redirect_add,
    token_wizard_refused,
    token_wizard_start,
)

__all__ = [
    "MintedToken",
    "WizardProblem",
    "WizardStart",
    "redirect_registered",
    "token_wizard_finish",
    "token_wizard_landing",
    "token_wizard_redirect_add",
    "token_wizard_refused",
    "token_wizard_start",
    "wizard_redirect_uri",
]
