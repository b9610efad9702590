import java.security.*;
import java.security.spec.*;

/** One signature's CPU time, single-threaded (issue 16): java src/bench/http/SignCost.java RS256|ES256. */
public class SignCost {
    public static void main(String[] args) throws Exception {
        String alg = args[0];
        KeyPairGenerator g = KeyPairGenerator.getInstance(alg.equals("RS256") ? "RSA" : "EC");
        if (alg.equals("RS256")) g.initialize(2048); else g.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair kp = g.generateKeyPair();
        byte[] data = new byte[300];
        String name = alg.equals("RS256") ? "SHA256withRSA" : "SHA256withECDSAinP1363Format";
        for (int round = 0; round < 6; round++) {
            long start = System.nanoTime();
            int n = 0;
            while (System.nanoTime() - start < 3_000_000_000L) {
                Signature s = Signature.getInstance(name);
                s.initSign(kp.getPrivate());
                s.update(data);
                s.sign();
                n++;
            }
            System.out.printf("%s %s round %d: %.1f µs per signature%n", System.getProperty("java.version"), alg, round,
                    (System.nanoTime() - start) / 1000.0 / n);
        }
    }
}
