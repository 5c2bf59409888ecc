/**
 * The simulated network: every host's port tables, the well-known services,
 * and how an inet datagram travels between hosts. Streams are reliable;
 * datagrams between different hosts may be lost, duplicated or reordered, as
 * the run's `network` option says, decided by the run's seed (`k.rng`).
 */
import { sysError } from './errors';
import type { Kernel } from './kernel';
import type { Datagram, Socket } from './socket';

/** An inet address: a host's IPv4 address and a port. */
export interface InetAddress { host: string; port: number }
/** A unix-domain address: a path in the host's file system; null for a socket that never bound. */
export interface UnixAddress { path: string | null }
export type Address = InetAddress | UnixAddress;

export type Protocol = 'tcp' | 'udp';

/** Ports the kernel hands out to sockets that connect or send without binding (IANA's dynamic range). */
export const FIRST_EPHEMERAL_PORT = 49152;
export const LAST_PORT = 65535;

/** A reordered datagram arrives this many simulated milliseconds late, at most. */
const REORDER_DELAY_MS = 5;

/** The conventional ports of /etc/services; each is offered over both tcp and udp. */
export const SERVICES: Readonly<Record<string, number>> = {
  echo: 7, discard: 9, systat: 11, daytime: 13, netstat: 15, qotd: 17, chargen: 19,
  'ftp-data': 20, ftp: 21, ssh: 22, telnet: 23, smtp: 25, time: 37, whois: 43, domain: 53,
  tftp: 69, gopher: 70, finger: 79, www: 80, http: 80, kerberos: 88, pop3: 110, sunrpc: 111,
  auth: 113, nntp: 119, ntp: 123, imap: 143, snmp: 161, ldap: 389, https: 443, syslog: 514,
  printer: 515, submission: 587, ldaps: 636, imaps: 993, pop3s: 995,
};

/** getservbyname(): the port of a conventional service; ENOENT for a name /etc/services lacks. */
export function serviceByName(name: string, proto: string): number {
  if (proto !== 'tcp' && proto !== 'udp') throw sysError('ENOENT', 'getservbyname', `services run over 'tcp' or 'udp', not '${proto}'`);
  const port = Object.hasOwn(SERVICES, name) ? SERVICES[name] : undefined;
  if (port === undefined) throw sysError('ENOENT', 'getservbyname', `there is no service called '${name}'`);
  return port;
}

export function isInet(address: Address): address is InetAddress {
  return 'port' in address;
}

/** How messages and reports write an address: `10.0.0.1:7` or `/tmp/sock`. */
export function formatAddress(address: Address | null): string {
  if (!address) return 'an unbound socket';
  if (isInet(address)) return `${address.host}:${address.port}`;
  return address.path ?? 'an unnamed unix socket';
}

/** One host's ports of one protocol: which socket owns each bound port. */
export class PortTable {
  /** Port → the socket bound to it. */
  private readonly bound = new Map<number, Socket>();
  /** Where the search for the next free ephemeral port starts; it cycles through the dynamic range. */
  private nextEphemeral = FIRST_EPHEMERAL_PORT;

  constructor(
    readonly host: string,
    readonly proto: Protocol,
  ) {}

  lookup(port: number): Socket | undefined {
    return this.bound.get(port);
  }

  /** Binds `port` to `socket`, or a free ephemeral port when `port` is 0; the port taken. */
  bind(port: number, socket: Socket, call: string): number {
    if (port === 0) return this.bindEphemeral(socket, call);
    if (this.bound.has(port)) throw sysError('EADDRINUSE', call, `${this.proto} port ${port} on ${this.host} is already bound by another socket`);
    this.bound.set(port, socket);
    return port;
  }

  private bindEphemeral(socket: Socket, call: string): number {
    const size = LAST_PORT - FIRST_EPHEMERAL_PORT + 1;
    for (let tried = 0; tried < size; tried++) {
      const port = this.nextEphemeral;
      this.nextEphemeral = port === LAST_PORT ? FIRST_EPHEMERAL_PORT : port + 1;
      if (!this.bound.has(port)) {
        this.bound.set(port, socket);
        return port;
      }
    }
    throw sysError('EADDRINUSE', call, `every ephemeral ${this.proto} port of ${this.host} is in use`);
  }

  /** The socket closed: its port is free again. */
  unbind(port: number, socket: Socket): void {
    if (this.bound.get(port) === socket) this.bound.delete(port);
  }
}

/** The run's network: port tables per host and protocol, and datagram delivery with faults. */
export class Network {
  /** `host/proto` → that host's table for that protocol. */
  private readonly tables = new Map<string, PortTable>();

  constructor(private readonly k: Kernel) {}

  /** Is there a host with this address in the run? */
  hasHost(addr: string): boolean {
    return this.k.hosts.has(addr);
  }

  ports(host: string, proto: Protocol): PortTable {
    const key = `${host}/${proto}`;
    let table = this.tables.get(key);
    if (!table) {
      table = new PortTable(host, proto);
      this.tables.set(key, table);
    }
    return table;
  }

  /**
   * An inet datagram leaves `fromHost` for `to`. On one host it arrives at
   * once; between hosts the seed decides whether it is lost, duplicated, or
   * held back a few simulated milliseconds so later ones overtake it. Nobody
   * bound at the destination (when it arrives): dropped, as UDP does.
   */
  route(fromHost: string, to: InetAddress, datagram: Datagram): void {
    const arrive = (): void => {
      const target = this.hasHost(to.host) ? this.ports(to.host, 'udp').lookup(to.port) : undefined;
      target?.arrive(datagram);
    };
    if (fromHost === to.host) return arrive();
    const faults = this.k.options.network;
    const rng = this.k.rng;
    if (rng.chance(faults.loss ?? 0)) return;
    const copies = rng.chance(faults.duplicate ?? 0) ? 2 : 1;
    for (let i = 0; i < copies; i++) {
      if (rng.chance(faults.reorder ?? 0)) this.k.timers.add(this.k.simTime + 1 + rng.below(REORDER_DELAY_MS), arrive);
      else arrive();
    }
  }
}
