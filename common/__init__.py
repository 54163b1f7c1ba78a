"""Infrastructure with no domain: image checks, middleware, health check, admin plumbing
(translated side-by-side fields, history, upload errors, import/export formats) and the stamp
store of the public page cache. Imports no app of ours."""
