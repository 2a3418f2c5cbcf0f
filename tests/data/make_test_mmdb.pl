#!/usr/bin/perl
# make_test_mmdb.pl: writes a tiny MaxMind database for the geo tests, using
# Debian's libmaxmind-db-writer-perl. Usage: make_test_mmdb.pl OUT.mmdb
# Networks (documentation ranges, so never a real visitor):
#   192.0.2.0/24     country DE
#   198.51.100.0/24  country IR
#   203.0.113.0/25   registered_country SA only (no country)
#   203.0.113.128/25 a record without any country
#   2001:db8::/32    country FR
use strict;
use warnings;
use MaxMind::DB::Writer::Tree;

my $out = shift or die "usage: $0 OUT.mmdb\n";
my %types = (
    country            => 'map',
    registered_country => 'map',
    iso_code           => 'utf8_string',
    note               => 'utf8_string',
);
my $tree = MaxMind::DB::Writer::Tree->new(
    ip_version              => 6,
    record_size             => 24,
    database_type           => 'lognym-Test-Country',
    languages               => ['en'],
    description             => { en => 'lognym unit-test database' },
    remove_reserved_networks => 0,
    map_key_type_callback   => sub { $types{ $_[0] } },
);
$tree->insert_network('192.0.2.0/24',     { country => { iso_code => 'DE' } });
$tree->insert_network('198.51.100.0/24',  { country => { iso_code => 'IR' } });
$tree->insert_network('203.0.113.0/25',   { registered_country => { iso_code => 'SA' } });
$tree->insert_network('203.0.113.128/25', { note => 'no country' });
$tree->insert_network('2001:db8::/32',    { country => { iso_code => 'FR' } });
open my $fh, '>:raw', $out or die "$out: $!\n";
$tree->write_tree($fh);
close $fh or die "$out: $!\n";
