package postgres

// OwnerFiltersRemoved reports whether this test binary was built with the tag
// vetshare_nofilter: the driver's owner filters removed.
const OwnerFiltersRemoved = ownerFiltersRemoved
