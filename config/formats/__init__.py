"""One date and time format per language, for pages, e-mails and the admin alike.

Times are 24-hour in both languages (as the agenda prints them) and always shown with
"(Beijing time)" beside them on pages and in e-mails: every time is Asia/Shanghai.
"""
