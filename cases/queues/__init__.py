"""Each role's queue (issue 17): the bureau's cases to receive and to assign (with every judge's
open caseload), a judge's cases to accept (in a batch), and the next step of each case in words."""
