SELECT mark AS "mark" FROM lease WHERE name = :#${variable.leaseName}
