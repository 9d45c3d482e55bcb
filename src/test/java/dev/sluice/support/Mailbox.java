package dev.sluice.support;

import com.icegreen.greenmail.util.GreenMail;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeMessage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the sign-in code messages GreenMail received. */
public final class Mailbox {
    private static final Pattern SUBJECT = Pattern.compile("^(\\d{6}) is your Sluice sign-in code$");

    private Mailbox() {}

    /** Messages delivered to this address so far. */
    public static List<MimeMessage> messagesTo(GreenMail mail, String address) {
        return Arrays.stream(mail.getReceivedMessages())
                .filter(m -> sentTo(m, address))
                .toList();
    }

    /** Waits (5 s at most) until {@code count} messages reached the address; returns the newest. */
    public static MimeMessage awaitMessage(GreenMail mail, String address, int count) {
        long deadline = System.currentTimeMillis() + 5000;
        List<MimeMessage> got = messagesTo(mail, address);
        while (got.size() < count && System.currentTimeMillis() < deadline) {
            mail.waitForIncomingEmail(100, mail.getReceivedMessages().length + 1);
            got = messagesTo(mail, address);
        }
        if (got.size() < count) {
            throw new AssertionError(
                    "Expected " + count + " message(s) to " + address + " within 5 s, got " + got.size());
        }
        return got.get(got.size() - 1);
    }

    /** The code of the newest of {@code count} messages to the address. */
    public static String awaitCode(GreenMail mail, String address, int count) {
        return code(awaitMessage(mail, address, count));
    }

    public static String code(MimeMessage m) {
        try {
            Matcher s = SUBJECT.matcher(m.getSubject());
            if (!s.matches()) throw new AssertionError("Not a sign-in code message: " + m.getSubject());
            return s.group(1);
        } catch (MessagingException e) {
            throw new AssertionError(e);
        }
    }

    /** The text/plain and text/html bodies, in that order. */
    public static List<String> bodies(MimeMessage m) throws Exception {
        List<String> out = new ArrayList<>(List.of("", ""));
        collect(m, out);
        return out;
    }

    private static void collect(Part p, List<String> out) throws Exception {
        if (p.isMimeType("text/plain")) out.set(0, out.get(0) + p.getContent());
        else if (p.isMimeType("text/html")) out.set(1, out.get(1) + p.getContent());
        else if (p.getContent() instanceof Multipart mp) {
            for (int i = 0; i < mp.getCount(); i++) collect(mp.getBodyPart(i), out);
        }
    }

    private static boolean sentTo(MimeMessage m, String address) {
        try {
            var to = m.getRecipients(Message.RecipientType.TO);
            return to != null && Arrays.stream(to).anyMatch(a -> a.toString().equalsIgnoreCase(address));
        } catch (MessagingException e) {
            return false;
        }
    }
}
