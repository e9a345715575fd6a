package org.ringchat.itests.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Two {@code bin/ringchat} processes, each with its page, form a group through their shells; both pages
 * are open in headless Chromium. A message written on Alice's page arrives live on Bob's, and Alice's
 * page shows it confirmed by the whole group; both pages draw the group's topology with both members,
 * and the message's path from Alice to Bob. Screenshots of both pages go to {@code target/screenshots/}.
 */
class TwoPagesIT {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @RegisterExtension
    final PageNodes nodes = new PageNodes();

    private ChromeDriver alicePage;
    private ChromeDriver bobPage;

    @BeforeEach
    void browsers() {
        Browser.assumeInstalled();
    }

    @AfterEach
    void closeBrowsers() {
        for (ChromeDriver driver : new ChromeDriver[] {alicePage, bobPage}) {
            if (driver != null) {
                driver.quit();
            }
        }
    }

    @Test
    void aMessageWrittenOnOnePageArrivesOnTheOtherAndIsConfirmed() throws Exception {
        PageNodes.PageNode alice = nodes.start("alice");
        PageNodes.PageNode bob = nodes.start("bob");
        String bobAddress = bob.process().address(); // waits until the node is up
        alice.process().address();
        List<String> created = alice.process().run("create friends " + bobAddress);
        assertEquals(2, created.size(), "the group ID and the invitation: " + created);
        assertEquals(bob.process().shortId() + " joined 'friends', now 2 members", created.get(1));

        Path work = nodes.workDir();
        alicePage = Browser.open(work.resolve("alice-profile"), work.resolve("alice-chromedriver.log"));
        bobPage = Browser.open(work.resolve("bob-profile"), work.resolve("bob-chromedriver.log"));
        alicePage.get(alice.url("/"));
        bobPage.get(bob.url("/"));

        for (ChromeDriver page : List.of(alicePage, bobPage)) {
            WebDriverWait wait = new WebDriverWait(page, WAIT);
            wait.until(ExpectedConditions.attributeToBe(By.cssSelector("[data-testid=live-status]"), "data-state", "live"));
            // the only group is shown at once, with both members online on the topology picture
            wait.until(ExpectedConditions.textToBe(By.cssSelector("[data-testid=group-title]"), "friends"));
            wait.until(d -> d.findElements(By.cssSelector("[data-testid=topology-node][data-presence=ONLINE]")).size() == 2);
        }
        assertEquals(alice.process().address(),
                alicePage.findElement(By.cssSelector("[data-testid=node-address]")).getText());

        String text = "hello Bob, from the page of Alice";
        WebElement box = alicePage.findElement(By.cssSelector("[data-testid=send-text]"));
        box.sendKeys(text);
        alicePage.findElement(By.cssSelector("[data-testid=send-submit]")).click();

        By sent = By.xpath("//li[@data-testid='message'][.//*[@data-testid='message-text' and .='" + text + "']]");
        WebElement arrived = new WebDriverWait(bobPage, WAIT).until(ExpectedConditions.visibilityOfElementLocated(sent));
        assertEquals(alice.process().shortId(), arrived.findElement(By.cssSelector("[data-testid=message-author]")).getText());
        new WebDriverWait(alicePage, WAIT).until(ExpectedConditions.textToBe(
                By.xpath("//li[@data-testid='message'][.//*[.='" + text + "']]//*[@data-testid='message-delivery']"),
                "confirmed 2/2"));
        assertEquals("", box.getAttribute("value"), "the send box is emptied");

        // the path: Alice handed it to Bob, as Alice's own trace saw it
        alicePage.findElement(sent).click();
        WebElement handOff = new WebDriverWait(alicePage, WAIT).until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("[data-testid=path-edge][data-from='" + alice.process().peerId() + "'][data-to='"
                        + bob.process().peerId() + "']")));
        assertEquals("true", handOff.getAttribute("data-seen"), "Alice's trace shows the hand-off");
        assertTrue(alicePage.findElement(By.cssSelector("[data-testid=path-info]")).getText().startsWith("From this node:"));
        bobPage.findElement(sent).click();
        new WebDriverWait(bobPage, WAIT).until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("[data-testid=path-edge][data-seen=true][data-to='" + bob.process().peerId() + "']")));

        Path a = Browser.screenshot(alicePage, "alice");
        Path b = Browser.screenshot(bobPage, "bob");
        System.out.println("screenshots: " + a.toAbsolutePath() + " " + b.toAbsolutePath());
        assertEquals(List.of(), alice.process().errors(), "alice's shell errors");
        assertEquals(List.of(), bob.process().errors(), "bob's shell errors");
    }
}
