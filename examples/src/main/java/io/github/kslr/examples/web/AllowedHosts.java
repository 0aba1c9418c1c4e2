package io.github.kslr.examples.web;

import io.github.kslr.api.InvalidInputException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The names the demo server answers to, a guard against DNS rebinding: a page on {@code evil.example} whose name is
 * made to resolve to 127.0.0.1 reaches the server with {@code Host: evil.example} (and the matching Origin, so an
 * Origin-equals-Host check passes); only a list of the server's own names refuses it. The list holds the loopback
 * names ({@code localhost}, {@code 127.0.0.1}, {@code [::1]}), the address the server binds (its {@code --host}),
 * for a wildcard bind ({@code 0.0.0.0}, {@code ::}) this machine's interface addresses and host name, and the extra
 * names the user allows ({@code --allow-host}). A Host or Origin must also name the server's port.
 *
 * <p><b>Thread-safety.</b> Immutable.
 */
final class AllowedHosts {
    private static final Pattern NAME = Pattern.compile("[a-z0-9._-]+|\\[[0-9a-f:.]+]");
    private final Set<String> names;

    private AllowedHosts(Set<String> names) {
        this.names = Collections.unmodifiableSet(names);
    }

    /**
     * The names for a server bound to {@code bindHost}, plus {@code extra}.
     *
     * @throws InvalidInputException for an extra name that is not a host name or an IP address
     */
    static AllowedHosts of(String bindHost, Collection<String> extra) {
        Set<String> names = new LinkedHashSet<>();
        names.add("localhost");
        names.add("127.0.0.1");
        names.add(normalize("[::1]"));
        String bind = normalize(bindHost);
        if (isWildcard(bindHost)) {
            addMachineNames(names);
        } else if (bind != null) {
            names.add(bind);
        }
        for (String e : extra) {
            String n = normalize(e);
            if (n == null) {
                throw new InvalidInputException(
                        "allowed host must be a host name or an IP address (no port, no" + " scheme), was '" + e + "'");
            }
            names.add(n);
        }
        return new AllowedHosts(names);
    }

    static boolean isWildcard(String bindHost) {
        String h = bindHost.strip();
        return h.isEmpty() || "0.0.0.0".equals(h) || "::".equals(h) || "[::]".equals(h);
    }

    /** A wildcard bind serves every interface: its addresses and this machine's name are its own. */
    private static void addMachineNames(Set<String> names) {
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                for (InetAddress a : Collections.list(nic.getInetAddresses())) {
                    if (a instanceof Inet6Address && (a.isLinkLocalAddress() || ((Inet6Address) a).getScopeId() != 0)) {
                        continue; // a zone id cannot appear in a Host header anyway
                    }
                    names.add(literal(a));
                }
            }
        } catch (SocketException e) {
            // no interface list: the loopback names still work
        }
        try {
            String name = normalize(InetAddress.getLocalHost().getHostName());
            if (name != null) {
                names.add(name);
            }
        } catch (UnknownHostException e) {
            // a machine without a resolvable name: reachable by address only
        }
    }

    private static String literal(InetAddress a) {
        String s = a.getHostAddress();
        int zone = s.indexOf('%');
        if (zone >= 0) {
            s = s.substring(0, zone);
        }
        return a instanceof Inet6Address ? "[" + canonicalV6(s) + "]" : s;
    }

    /** IPv6 literals compare in Java's one spelling ({@code [::1]} is {@code [0:0:0:0:0:0:0:1]}). */
    private static String canonicalV6(String v6) {
        try {
            return InetAddress.getByName(v6).getHostAddress(); // a literal (it has a colon): no name lookup
        } catch (UnknownHostException e) {
            return v6;
        }
    }

    /** Lower case, IPv6 in brackets and one spelling; null when it is not a plain host name or address. */
    static String normalize(String host) {
        if (host == null) {
            return null;
        }
        String h = host.strip().toLowerCase(Locale.ROOT);
        if (h.indexOf(':') >= 0 && !h.startsWith("[")) {
            h = "[" + h + "]";
        }
        if (!NAME.matcher(h).matches()) {
            return null;
        }
        if (h.startsWith("[")) {
            h = "[" + canonicalV6(h.substring(1, h.length() - 1)) + "]";
        }
        return h;
    }

    /**
     * Whether a request's Host header names this server: an allowed name and {@code port} (a Host without a port
     * means 80).
     */
    boolean allowsHost(String hostHeader, int port) {
        if (hostHeader == null) {
            return false;
        }
        String h = hostHeader.strip();
        if (h.chars().anyMatch(Character::isWhitespace)) {
            return false;
        }
        int portStart = h.startsWith("[") ? h.indexOf("]:") + 1 : h.lastIndexOf(':');
        int given = 80;
        if (portStart > 0) {
            try {
                given = Integer.parseInt(h.substring(portStart + 1));
            } catch (NumberFormatException e) {
                return false;
            }
            h = h.substring(0, portStart);
        } else if (h.indexOf(':') >= 0 && !h.startsWith("[")) {
            return false;
        }
        String n = normalize(h);
        return given == port && n != null && names.contains(n);
    }

    /** Whether an Origin header is a page of this server: http or https, an allowed name, {@code port}. */
    boolean allowsOrigin(String origin, int port) {
        try {
            URI u = new URI(origin);
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
            if (!("http".equals(scheme) || "https".equals(scheme))
                    || u.getHost() == null
                    || u.getRawUserInfo() != null) {
                return false;
            }
            int p = u.getPort() >= 0 ? u.getPort() : "https".equals(scheme) ? 443 : 80;
            String n = normalize(u.getHost());
            return p == port && n != null && names.contains(n);
        } catch (java.net.URISyntaxException e) {
            return false;
        }
    }

    /** The allowed names, for logs and help. */
    Set<String> names() {
        return names;
    }

    @Override
    public String toString() {
        return String.join(", ", names).replace("[0:0:0:0:0:0:0:1]", "[::1]");
    }
}
