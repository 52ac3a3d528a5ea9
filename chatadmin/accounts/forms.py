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
