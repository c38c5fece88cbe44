-- Every view in the target's view schema.
SELECT table_name AS "viewName", view_definition AS "definition" FROM information_schema.views
WHERE table_schema = :#${variable.target.schema}
