-- Reserved for work in progress; filled in by the change that needs it.
SELECT 1;
