UPDATE lease SET holder = :#${variable.leaseHolder}, until = :#${variable.leaseUntil}
WHERE name = :#${variable.leaseName} AND (until IS NULL OR until < :#${variable.now})
