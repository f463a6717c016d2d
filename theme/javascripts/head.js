// What Material writes inline in every page's head (partials/javascripts/base.html,
// mkdocs-material 9.8), from this cached file: the site's root as the scope of what it keeps
// in localStorage (the reader's palette), and its helpers to read and write it. The root is
// the folder above this file's, as Material's base_url is from the page (unless a scope set in
// mkdocs.yml, extra.scope, was written inline before this file: partials/javascripts/base.html).
if (!window.__md_scope) __md_scope=new URL("..",document.currentScript.src),__md_hash=e=>[...e].reduce(((e,_)=>(e<<5)-e+_.charCodeAt(0)),0),__md_get=(e,_=localStorage,t=__md_scope)=>JSON.parse(_.getItem(t.pathname+"."+e)),__md_set=(e,_,t=localStorage,a=__md_scope)=>{try{t.setItem(a.pathname+"."+e,JSON.stringify(_))}catch(e){}};

// Material looks for sitemap.xml beside every <link rel="alternate"> (for its language
// switcher); beside a page's Atom feed there is none, and each look-up was a 404. It is sent
// to the site's own sitemap instead. Loaded before Material's bundle, so it sees it.
(function () {
  var open = XMLHttpRequest.prototype.open;
  var sitemap = new URL("../sitemap.xml", document.currentScript.src).href;
  XMLHttpRequest.prototype.open = function (method, url) {
    var args = Array.prototype.slice.call(arguments);
    try {
      var target = new URL(String(url), location.href);
      if (/\/sitemap\.xml$/.test(target.pathname) && target.href !== sitemap) args[1] = sitemap;
    } catch (error) { /* not a URL: leave it alone */ }
    return open.apply(this, args);
  };
})();
