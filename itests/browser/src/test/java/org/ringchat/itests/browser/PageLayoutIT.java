package org.ringchat.itests.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Rectangle;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * An owner's page, as wide (1400 px) and as narrow (500 px) as people open it: at 1400 px three columns
 * inside the window, the right one scrolling on its own with the invite box in view; at 500 px one column
 * and a header that wraps, nothing overlapping, nothing wider than the window. Members are named one way
 * everywhere; the legend explains the skip links; an empty send says why nothing was sent. Screenshots
 * {@code layout-1400.png} and {@code layout-500.png} go to {@code target/screenshots/}.
 */
class PageLayoutIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final int WIDE = 1400;
    private static final int NARROW = 500;
    private static final int HEIGHT = 900;

    @RegisterExtension
    final PageNodes nodes = new PageNodes();

    private ChromeDriver page;

    @BeforeEach
    void browser() {
        Browser.assumeInstalled();
    }

    @AfterEach
    void closeBrowser() {
        if (page != null) {
            page.quit();
        }
    }

    @Test
    void anOwnersPageFitsAWideAndANarrowWindow() throws Exception {
        PageNodes.PageNode alice = nodes.start("alice");
        PageNodes.PageNode bob = nodes.start("bob");
        alice.process().run("create friends " + bob.process().address());
        bob.process().run("send friends hello alice, from bob");

        page = Browser.open(nodes.workDir().resolve("profile"), nodes.workDir().resolve("chromedriver.log"));
        page.get(alice.url("/"));
        WebDriverWait wait = new WebDriverWait(page, WAIT);
        wait.until(ExpectedConditions.textToBe(By.cssSelector("[data-testid=group-title]"), "friends"));
        wait.until(d -> d.findElements(By.cssSelector("[data-testid=topology-node][data-presence=ONLINE]")).size() == 2);
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-testid=message-author]")));

        // one short name for a member, wherever it is named
        String bobShort = bob.process().shortId();
        assertEquals(bobShort, page.findElement(By.cssSelector("[data-testid=message-author]")).getText());
        assertTrue(texts(By.cssSelector("[data-testid=member] code")).contains(bobShort), texts(By.cssSelector("[data-testid=member] code")).toString());
        assertTrue(texts(By.cssSelector("#topology .t-label")).contains(bobShort), texts(By.cssSelector("#topology .t-label")).toString());
        // the legend explains the dashed skip links
        assertTrue(page.findElement(By.cssSelector("[data-testid=legend-skip]")).isDisplayed());

        // an empty send: a hint, which goes once something is typed
        WebElement hint = page.findElement(By.cssSelector("[data-testid=send-hint]"));
        assertFalse(hint.isDisplayed());
        page.findElement(By.cssSelector("[data-testid=send-submit]")).click();
        wait.until(ExpectedConditions.visibilityOf(hint));
        page.findElement(By.cssSelector("[data-testid=send-text]")).sendKeys("h");
        wait.until(ExpectedConditions.invisibilityOf(hint));

        // wide: the page does not scroll, the right column does, and the invite box is in view
        page.manage().window().setSize(new Dimension(WIDE, HEIGHT));
        wait.until(d -> number("return window.innerWidth") > NARROW * 2);
        assertTrue(number("return document.documentElement.scrollHeight") <= number("return window.innerHeight"),
                "the columns fit the window");
        assertEquals("auto", page.executeScript("return getComputedStyle(document.getElementById('side')).overflowY"));
        assertInView(page.findElement(By.cssSelector("[data-testid=invite-address]")));
        assertInView(page.findElement(By.cssSelector("[data-testid=invite-submit]")));
        Path wide = Browser.screenshot(page, "layout-1400");

        // narrow: one column, the header wrapped, nothing overlapping or wider than the window
        page.manage().window().setSize(new Dimension(NARROW, HEIGHT));
        wait.until(d -> number("return window.innerWidth") <= NARROW);
        assertTrue(number("return document.documentElement.scrollWidth") <= number("return window.innerWidth"),
                "nothing is wider than the window");
        List<Rectangle> columns = rectangles(By.cssSelector(".layout > :not([hidden])"));
        assertEquals(3, columns.size());
        for (int i = 1; i < columns.size(); i++) {
            assertEquals(columns.get(0).getX(), columns.get(i).getX(), "one column: " + columns);
            assertTrue(columns.get(i).getY() >= columns.get(i - 1).getY() + columns.get(i - 1).getHeight(), "stacked: " + columns);
        }
        List<Rectangle> header = rectangles(By.cssSelector(".top > *"));
        for (int i = 0; i < header.size(); i++) {
            for (int j = i + 1; j < header.size(); j++) {
                assertFalse(overlap(header.get(i), header.get(j)), "header parts overlap: " + header);
            }
        }
        Path narrow = Browser.screenshot(page, "layout-500");
        System.out.println("screenshots: " + wide.toAbsolutePath() + " " + narrow.toAbsolutePath());
        assertEquals(List.of(), alice.process().errors(), "alice's shell errors");
    }

    private void assertInView(WebElement element) {
        Rectangle r = element.getRect();
        assertTrue(element.isDisplayed() && r.getY() >= 0 && r.getY() + r.getHeight() <= number("return window.innerHeight"),
                element.getAttribute("data-testid") + " in view without scrolling: " + r.getY() + "+" + r.getHeight());
    }

    private long number(String script) {
        return ((Number) page.executeScript(script)).longValue();
    }

    private List<String> texts(By by) {
        return page.findElements(by).stream().map(WebElement::getText).toList();
    }

    private List<Rectangle> rectangles(By by) {
        return page.findElements(by).stream().map(WebElement::getRect).toList();
    }

    private static boolean overlap(Rectangle a, Rectangle b) {
        return a.getX() < b.getX() + b.getWidth() && b.getX() < a.getX() + a.getWidth()
                && a.getY() < b.getY() + b.getHeight() && b.getY() < a.getY() + a.getHeight();
    }
}
