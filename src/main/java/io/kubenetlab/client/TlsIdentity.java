package io.kubenetlab.client;

import io.kubenetlab.model.LabException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The lab API's TLS identity: a self-signed P-256 certificate for 127.0.0.1 and localhost, and for the
 * kubernetes Service's names (clients in pods), made once per lab and kept (root-only) in its state
 * directory. kubectl only sends a bearer token over TLS; the kubeconfig carries this certificate as the
 * cluster's CA (and a pod's ca.crt is it), so clients verify the server.
 */
public final class TlsIdentity {
    private static final char[] PASSWORD = "kubenetlab".toCharArray(); // the file is mode 600: the password only satisfies the format

    private final KeyStore keyStore;
    private final X509Certificate certificate;

    private TlsIdentity(KeyStore keyStore, X509Certificate certificate) {
        this.keyStore = keyStore;
        this.certificate = certificate;
    }

    /** The names of a lab made before the kubernetes Service (and of clients that only load it). */
    static final java.util.List<String> LOOPBACK_NAMES = java.util.List.of("127.0.0.1", "localhost");

    /** The lab's identity, made on first use. */
    public static synchronized TlsIdentity load(Path file, String lab) {
        return load(file, lab, java.util.List.of());
    }

    /**
     * The lab's identity, valid for {@code names} (IP addresses or DNS names) besides loopback: made on
     * first use, and made again when the kept certificate lacks one of them (a lab deployed before).
     */
    public static synchronized TlsIdentity load(Path file, String lab, java.util.List<String> names) {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            if (Files.isRegularFile(file)) {
                ControllerFiles.keepPrivate(file); // it holds the private key
                try (InputStream in = Files.newInputStream(file)) {
                    ks.load(in, PASSWORD);
                }
                X509Certificate kept = (X509Certificate) ks.getCertificate("api");
                if (names(kept).containsAll(names)) return new TlsIdentity(ks, kept);
                ks = KeyStore.getInstance("PKCS12");
            }
            java.util.LinkedHashSet<String> all = new java.util.LinkedHashSet<>(LOOPBACK_NAMES);
            all.addAll(names);
            KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
            gen.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair kp = gen.generateKeyPair();
            X500Name name = new X500Name("CN=kubenetlab " + lab);
            Instant now = Instant.now();
            var builder = new JcaX509v3CertificateBuilder(name, new BigInteger(64, new SecureRandom()), Date.from(now.minus(Duration.ofHours(1))),
                    Date.from(now.plus(Duration.ofDays(3650))), name, kp.getPublic());
            builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(
                    all.stream().map(TlsIdentity::generalName).toArray(GeneralName[]::new)));
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyCertSign));
            builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            byte[] der = builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(kp.getPrivate())).getEncoded();
            X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
            ks.load(null, null);
            ks.setKeyEntry("api", kp.getPrivate(), PASSWORD, new java.security.cert.Certificate[]{cert});
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            ks.store(out, PASSWORD);
            ControllerFiles.writePrivate(file, out.toByteArray());
            return new TlsIdentity(ks, cert);
        } catch (IOException | GeneralSecurityException | OperatorCreationException e) {
            throw new LabException("cannot make the lab API's TLS certificate in " + file + ": " + e.getMessage());
        }
    }

    /** An IPv4 address as an iPAddress name, anything else as a dNSName. */
    static GeneralName generalName(String n) {
        boolean ip = n.matches("\\d{1,3}(\\.\\d{1,3}){3}");
        return new GeneralName(ip ? GeneralName.iPAddress : GeneralName.dNSName, n);
    }

    /** The certificate's subject alternative names (IP addresses and DNS names alike). */
    public java.util.List<String> names() {
        return names(certificate);
    }

    static java.util.List<String> names(X509Certificate cert) {
        try {
            java.util.Collection<java.util.List<?>> sans = cert.getSubjectAlternativeNames();
            if (sans == null) return java.util.List.of();
            return sans.stream().map(san -> san.get(1).toString()).toList();
        } catch (java.security.cert.CertificateParsingException e) {
            return java.util.List.of();
        }
    }

    /** The certificate as PEM: a pod's ca.crt. */
    public String pem() {
        try {
            return "-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(certificate.getEncoded())
                    + "\n-----END CERTIFICATE-----\n";
        } catch (GeneralSecurityException e) {
            throw new LabException("cannot encode the API certificate: " + e.getMessage());
        }
    }

    /** For the server: our key and certificate. */
    public SSLContext serverContext() {
        try {
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keyStore, PASSWORD);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), null, null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new LabException("cannot set up TLS: " + e.getMessage());
        }
    }

    /** For our own clients: trust exactly this certificate. */
    public SSLContext clientContext() {
        return trusting(certificate);
    }

    /**
     * For a client that has only the certificate (a pod's {@code ca.crt}, PEM): trust exactly it. No
     * PKCS12 to open, whose password-based MAC costs a cold CLI a tenth of a second.
     */
    public static SSLContext trustingPem(Path pem) {
        try (InputStream in = Files.newInputStream(pem)) {
            return trusting((X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in));
        } catch (IOException | GeneralSecurityException e) {
            throw new LabException("cannot read the lab API's certificate " + pem + ": " + e.getMessage());
        }
    }

    private static SSLContext trusting(X509Certificate certificate) {
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("api", certificate);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (GeneralSecurityException | IOException e) {
            throw new LabException("cannot set up TLS: " + e.getMessage());
        }
    }

    /** The certificate as PEM, base64 again for a kubeconfig's certificate-authority-data. */
    public String caData() {
        return Base64.getEncoder().encodeToString(pem().getBytes());
    }
}
