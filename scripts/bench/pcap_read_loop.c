/* The floor for any pass over a capture: libpcap's bare read loop (pcap_next_ex), touching
 * each packet's header and first byte so that nothing is optimised away.
 *   pcap_read_loop CAPTURE */
#include <pcap/pcap.h>
#include <stdio.h>

int main(int argc, char** argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: pcap_read_loop CAPTURE\n");
    return 2;
  }
  char error[PCAP_ERRBUF_SIZE];
  pcap_t* pcap = pcap_open_offline_with_tstamp_precision(argv[1], PCAP_TSTAMP_PRECISION_NANO, error);
  if (pcap == NULL) {
    fprintf(stderr, "pcap_read_loop: %s\n", error);
    return 1;
  }
  struct pcap_pkthdr* header;
  const u_char* data;
  unsigned long long packets = 0, bytes = 0, checksum = 0;
  while (pcap_next_ex(pcap, &header, &data) == 1) {
    ++packets;
    bytes += header->len;
    checksum += header->caplen ? data[0] : 0;
  }
  printf("%llu packets, %llu bytes (%llu)\n", packets, bytes, checksum);
  pcap_close(pcap);
  return 0;
}
