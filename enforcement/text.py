"""Interface text as the code passes it around: a plain ``str`` or a lazily translated one
(``gettext_lazy``), rendered in the reader's language when it is shown."""

from django.utils.functional import Promise

Text = str | Promise
