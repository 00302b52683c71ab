"""Record kernel: what the five record apps (attendance, leave, expenses, performance, discipline) share —
attachments, list scopes, input parsing, page helpers, their permissions and the profile section."""
