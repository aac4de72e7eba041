"""Browser forms of the shared kernel."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .accounts.lockout import THROTTLED_CODE, login_refused, one_try_at_a_time, retry_after_seconds, throttled_detail

# The mixin is only ever combined with an AuthenticationForm: let the type checker see its attributes.
if TYPE_CHECKING:
    _LockoutBase = AuthenticationForm
else:
    _LockoutBase = object


class LockoutMixin(_LockoutBase):
    """The login lockout (SPEC §13) on a sign-in form: tries of one username from one address one at
    a time, and a refused try says so instead of "wrong password"."""

    def clean(self):
        error = None
        with one_try_at_a_time(self.request, self.cleaned_data.get("username")):
            try:
                cleaned = super().clean()
            except ValidationError as exc:
                error = exc  # raised outside the block, or the failure's count would roll back
        if error is not None:
            raise error
        return cleaned

    def get_invalid_login_error(self) -> ValidationError:
        if self.request is not None and login_refused(self.request):
            seconds = retry_after_seconds(self.request, self.cleaned_data.get("username"))
            return ValidationError(throttled_detail(seconds), code=THROTTLED_CODE)
        return super().get_invalid_login_error()


class LoginForm(LockoutMixin, AuthenticationForm):
    """Django's login form with Chinese labels and the autocomplete hints browsers expect."""

    username = forms.CharField(
        label=_("用户名"),
        max_length=150,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username", "autocapitalize": "none"}),
    )
    password = forms.CharField(
        label=_("密码"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "用户名或密码不正确。请注意区分大小写。",
        "inactive": "该账号已停用，请联系系统管理员。",
    }


class AdminLoginForm(LockoutMixin, AdminAuthenticationForm):
    """The admin site's sign-in, under the same lockout and message."""
