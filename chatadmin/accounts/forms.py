from typing import Any

from allauth.account.forms import LoginForm as AllauthLoginForm
from django import forms

from chatadmin.accounts.roles import Role


class InviteForm(forms.Form):
    email = forms.EmailField(label="Email address", max_length=254)
    role = forms.ChoiceField(
        label="Role",
        choices=Role.choices,
        initial=Role.SUPPORT,
        help_text="Support staff see everything read-only and never a secret.",
    )


class RoleForm(forms.Form):
    role = forms.ChoiceField(label="Role", choices=Role.choices)


class BasicConnectionForm(forms.Form):
    email = forms.EmailField(label="Chat agent email", max_length=254)
    password = forms.CharField(
        label="Chat password", widget=forms.PasswordInput(render_value=False), strip=False
    )


class LoginForm(AllauthLoginForm):
    """allauth's sign-in form in chatadmin's words: sentence-case labels, one reset link.

    The password field carries the "Forgot your password?" link (allauth's reset help), so
    the page does not repeat it; labels say what to type, without placeholders echoing them.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["login"].label = "Email"
        for name in ("login", "password"):
            self.fields[name].widget.attrs.pop("placeholder", None)
        if "remember" in self.fields:
            self.fields["remember"].label = "Remember me"
