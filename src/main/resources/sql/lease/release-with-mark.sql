UPDATE lease SET mark = :#${variable.mark}, until = NULL WHERE name = :#${variable.leaseName} AND holder = :#${variable.leaseHolder}
