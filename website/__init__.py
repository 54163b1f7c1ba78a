"""The public site: pages of editions, series, agreements and institutions, their reads,
sitemaps, iCalendar, template tags, and the page cache with the wiring that says which model
changes outdate which pages. Sits on top of the domain apps."""
