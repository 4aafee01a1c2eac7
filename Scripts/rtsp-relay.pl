#!/usr/bin/env perl
# A loopback RTSP relay for the tests (Debian's librtsp-server-perl): a source pushes a stream with
# ANNOUNCE/RECORD to SOURCE_PORT, clients pull it with DESCRIBE/PLAY from CLIENT_PORT. It relays RTP
# over UDP only (it refuses interleaved TCP), from ports RTP_PORT upward. 127.0.0.1 only.
# Usage: Scripts/rtsp-relay.pl CLIENT_PORT SOURCE_PORT RTP_PORT
use strict;
use warnings;
use AnyEvent;
use RTSP::Server;

my ($client, $source, $rtp) = @ARGV;
die "usage: rtsp-relay.pl CLIENT_PORT SOURCE_PORT RTP_PORT\n" unless defined $rtp;
my $server = RTSP::Server->new(
    log_level => 1, client_listen_port => $client, source_listen_port => $source, rtp_start_port => $rtp,
    client_listen_address => '127.0.0.1', source_listen_address => '127.0.0.1');
$server->listen;
AnyEvent->condvar->recv;
