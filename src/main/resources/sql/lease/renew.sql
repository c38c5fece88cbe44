UPDATE lease SET until = :#${variable.leaseUntil} WHERE name = :#${variable.leaseName} AND holder = :#${variable.leaseHolder}
