"""The case floor's side of approvals (SPEC §11a): the acts it registers (override, appraisal,
suspension, case-limit stops), the API and the browser pages -- the inbox and the request form on a
refusal. The request and its four eyes live in the kernel (``enforcement.approvals``)."""
