UPDATE lease SET until = NULL WHERE name = :#${variable.leaseName} AND holder = :#${variable.leaseHolder}
