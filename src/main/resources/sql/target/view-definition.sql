-- The view's definition as the target reports it, as text.
SELECT view_definition AS "definition" FROM information_schema.views
WHERE table_schema = :#${variable.targetSchema} AND table_name = :#${variable.viewName}
