package dev.verdict.audit.ui;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * The auditors' web pages: each deep link is answered with its page (static HTML under {@code static/ui/}), which then
 * reads everything it shows from the JSON API with the visitor's credentials. The pages themselves hold no data, so
 * they are public; the API calls are not.
 */
@Controller
class UiPages {

    @GetMapping({"/ui", "/ui/"})
    String search() {
        return "forward:/ui/search.html";
    }

    @GetMapping("/ui/advertisers/{advertiserId}")
    String timeline() {
        return "forward:/ui/timeline.html";
    }

    @GetMapping("/ui/decisions/{decisionId}")
    String decision() {
        return "forward:/ui/decision.html";
    }

    @GetMapping("/ui/replay")
    String replay() {
        return "forward:/ui/replay.html";
    }

    @GetMapping("/ui/dead-letters")
    String deadLetters() {
        return "forward:/ui/dead-letters.html";
    }
}
