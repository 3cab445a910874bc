"""Every customer flow end to end in sv (see flows.py)."""
import flows

if __name__ == "__main__":
    flows.main("sv")
